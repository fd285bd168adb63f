// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { Base, Authorship } from "../utils/Base.t.sol";

contract IsFinal_Unit_Test is Base {
    function test_IsFinal_UnregisteredIsNot() external {
        assertFalse(registry.isFinal(HASH));
        vm.warp(START + 365 days);
        assertFalse(registry.isFinal(HASH));
    }

    function test_IsFinal_AfterTheWindow() external {
        _registerAs(alice, HASH);
        assertEq(registry.SUPERSESSION_WINDOW(), 7 days);
        vm.warp(START + 7 days);
        assertFalse(registry.isFinal(HASH), "older evidence may still supersede it at the last second");
        vm.warp(START + 7 days + 1);
        assertTrue(registry.isFinal(HASH));
    }

    /// @dev The window counts from the record's date, which for a reveal is its commitment's.
    function test_IsFinal_CountsFromTheRecordsDate() external {
        Authorship.Registration memory registration = _registration(HASH);
        _commitAs(alice, registration, SALT);
        vm.warp(START + 1 days);
        vm.prank(alice);
        registry.reveal(registration, SALT);
        vm.warp(START + 7 days + 1);
        assertTrue(registry.isFinal(HASH), "final a week after the commitment, not after the reveal");
    }
}
