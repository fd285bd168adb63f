// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { Ownable } from "@openzeppelin/contracts/access/Ownable.sol";

import { Base, Errors, IAuthorshipRegistry } from "../utils/Base.t.sol";

contract SetAttester_Unit_Test is Base {
    function test_RevertWhen_CallerNotOwner() external {
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, eve));
        vm.prank(eve);
        registry.setAttester(eve, true);
        assertFalse(registry.isAttester(eve));
    }

    function test_RevertWhen_AttesterIsZero() external {
        vm.expectRevert(Errors.AuthorshipRegistry_ZeroAttester.selector);
        vm.prank(owner);
        registry.setAttester(address(0), true);
        assertFalse(registry.isAttester(address(0)));
    }

    function test_SetAttester() external {
        vm.expectEmit(address(registry));
        emit IAuthorshipRegistry.AttesterSet(bob, true);
        vm.prank(owner);
        registry.setAttester(bob, true);
        assertTrue(registry.isAttester(bob));

        vm.expectEmit(address(registry));
        emit IAuthorshipRegistry.AttesterSet(bob, false);
        vm.prank(owner);
        registry.setAttester(bob, false);
        assertFalse(registry.isAttester(bob));
    }

    function test_OwnershipMovesInTwoSteps() external {
        assertEq(registry.owner(), owner);
        vm.prank(owner);
        registry.transferOwnership(bob);
        assertEq(registry.owner(), owner, "not before acceptance");
        vm.prank(bob);
        registry.acceptOwnership();
        assertEq(registry.owner(), bob);
    }
}
