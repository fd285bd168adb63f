// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { Base, Errors, Authorship, IAuthorshipRegistry } from "../utils/Base.t.sol";

contract SetTrainingConsent_Unit_Test is Base {
    function test_RevertWhen_NotRegistered() external {
        vm.expectRevert(abi.encodeWithSelector(Errors.AuthorshipRegistry_NotRegistered.selector, HASH));
        vm.prank(alice);
        registry.setTrainingConsent(HASH, false);
        _assertUnregistered(HASH);
    }

    function test_RevertWhen_CallerNotAuthor() external {
        _registerAs(alice, HASH);
        bytes32 before = _recordWord(HASH);
        vm.expectRevert(abi.encodeWithSelector(Errors.AuthorshipRegistry_NotAuthor.selector, HASH, eve, alice));
        vm.prank(eve);
        registry.setTrainingConsent(HASH, false);
        assertEq(_recordWord(HASH), before);
    }

    function test_SetTrainingConsent() external {
        _registerAs(alice, HASH);
        vm.expectEmit(address(registry));
        emit IAuthorshipRegistry.TrainingConsentChanged(HASH, alice, false, 1);
        vm.prank(alice);
        registry.setTrainingConsent(HASH, false);
        _assertRecord(HASH, alice, START, Authorship.Kind.Prompt, false);
        assertEq(registry.getRecord(HASH).nonce, 1);

        vm.prank(alice);
        registry.setTrainingConsent(HASH, true);
        _assertRecord(HASH, alice, START, Authorship.Kind.Prompt, true);
        assertEq(registry.getRecord(HASH).nonce, 2);
    }
}
